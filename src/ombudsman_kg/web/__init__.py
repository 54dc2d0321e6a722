"""The HTTP interface of SPEC §3: Flask blueprints over one `Store`."""
