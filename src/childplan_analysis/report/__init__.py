"""Presentation: zh/en labels, tables, figures, widgets, notebook contexts, export, index."""
