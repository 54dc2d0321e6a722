"""ombudsman-kg: the OIC Ombudsman Association knowledge graph and its publisher."""

__version__ = "1.0.0"
