"""Observations out to other tools: filters, GeoJSON, Open311, CSV for Swedish Excel. No Flask, no SQL."""
