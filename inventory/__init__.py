"""The register of the council's systems: core records and rules (``register/``), store, import and export, waves, reports, live cloud readers and inventory drift."""
