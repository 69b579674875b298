"""The engine that runs the checks: checkov's ARM runner with the council's checks, and what their findings mean in words."""
