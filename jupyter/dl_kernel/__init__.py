"""A Jupyter kernel for dl: a thin ipykernel wrapper around `dl --json`."""
__version__ = "0.1.0"
