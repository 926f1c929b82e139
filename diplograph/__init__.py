"""diplograph: Arabic diplomatic news to a knowledge graph."""

__version__ = "0.1.0"
