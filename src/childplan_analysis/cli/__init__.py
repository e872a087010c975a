"""The ``childplan`` command, one module per command group."""
