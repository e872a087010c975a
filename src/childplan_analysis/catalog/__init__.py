"""Plan catalogs: schema, target grammar, indicator resolution, extraction, consistency."""
