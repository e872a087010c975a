"""The charts' plotly template: plotly's ``plotly_white`` cut to the parts cartesian charts use.

Every figure carries its template in its JSON; ``plotly_white`` whole is about 7 KB a figure,
mostly settings for map, 3-D, polar and ternary charts a report never draws.
"""

from __future__ import annotations

from functools import cache

import plotly.graph_objects as go

#: Layout parts of ``plotly_white`` that only other chart kinds read.
_OTHER_KINDS = {"polar", "ternary", "scene", "geo", "coloraxis", "mapbox", "map", "smith", "colorscale"}
#: Trace types whose defaults are kept (what report figures draw).
_TRACES = ("scatter", "bar", "heatmap", "pie")


@cache
def report_template() -> go.layout.Template:
    """``plotly_white`` with the layout and trace defaults of cartesian charts only (default
    colour scales left to plotly.js: a report's heatmaps set their own)."""
    import plotly.io as pio

    full = pio.templates["plotly_white"].to_plotly_json()
    layout = {k: v for k, v in full.get("layout", {}).items() if k not in _OTHER_KINDS}
    data = {k: [{a: b for a, b in tr.items() if a != "colorscale"} for tr in v]
            for k, v in full.get("data", {}).items() if k in _TRACES}
    return go.layout.Template(layout=layout, data=data)
