"""A stacked bar chart as server-rendered SVG: no JS, no CDN, the same in every browser test.

Each bar is one theme, its segments its findings per region; the SVG has a <title> and <desc>, each
segment a <title>, and the page shows the same figures as a table beside it.
"""

from __future__ import annotations

from markupsafe import Markup, escape

# Okabe–Ito's colour-blind-safe palette, then three more that stay apart from it.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000",
           "#999999", "#882255", "#44AA99")
WIDTH, LABEL_HEIGHT, BAR_HEIGHT, GAP = 600, 24, 16, 10


def stacked_bars(title: str, description: str, bars: list[str], series: list[str], counts: list[list[int]]) -> Markup:
    """``bars[i]`` labels bar i, ``series[j]`` segment j, ``counts[i][j]`` its length."""
    most = max((sum(row) for row in counts), default=0) or 1
    step = LABEL_HEIGHT + BAR_HEIGHT + GAP
    height = step * len(bars) + 8 + 20 * ((len(series) + 2) // 3)
    parts = [f'<svg class="chart" role="img" aria-labelledby="chart-title chart-desc" viewBox="0 0 {WIDTH} {height}" '
             f'xmlns="http://www.w3.org/2000/svg">',
             f'<title id="chart-title">{escape(title)}</title><desc id="chart-desc">{escape(description)}</desc>']
    for i, (label, row) in enumerate(zip(bars, counts)):
        y = i * step
        parts.append(f'<text x="0" y="{y + 14}" font-size="17">{escape(label)}</text>')
        x = 0.0
        for j, count in enumerate(row):
            if count:
                width = count / most * WIDTH
                parts.append(f'<rect x="{x:.1f}" y="{y + LABEL_HEIGHT}" width="{width:.1f}" height="{BAR_HEIGHT}" '
                             f'fill="{PALETTE[j % len(PALETTE)]}"><title>{escape(label)} · {escape(series[j])}: '
                             f'{count}</title></rect>')
                x += width
    legend_y = step * len(bars) + 4
    for j, name in enumerate(series):
        x, y = (j % 3) * (WIDTH / 3), legend_y + (j // 3) * 20
        parts.append(f'<rect x="{x:.1f}" y="{y}" width="14" height="14" fill="{PALETTE[j % len(PALETTE)]}"/>'
                     f'<text x="{x + 18:.1f}" y="{y + 12}" font-size="15">{escape(name)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
