"""The register of the council's systems: model, store, lifecycle, import and export, waves, reports, live cloud readers and inventory drift."""
