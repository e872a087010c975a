"""Core vocabulary: observation columns, codes, indicators, units, targets, errors, paths."""
