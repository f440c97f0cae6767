/// The page's stylesheet: light background, print-friendly (`@media print`), no web fonts.
enum HTMLStyle {
    static let css = """
        :root { color-scheme: light; --ink: #1a1a1a; --muted: #6b6b6b; --rule: #dedede; --panel: #f7f7f5; }
        * { box-sizing: border-box; }
        body { margin: 0 auto; max-width: 1040px; padding: 24px 32px 48px; background: #ffffff; color: var(--ink);
               font: 14px/1.45 -apple-system, "Segoe UI", "DejaVu Sans", Roboto, Helvetica, Arial, sans-serif; }
        h1 { font-size: 24px; margin: 0 0 4px; }
        h2 { font-size: 18px; margin: 32px 0 6px; padding-bottom: 4px; border-bottom: 1px solid var(--rule); }
        p.meta, p.note { color: var(--muted); margin: 0 0 10px; }
        .cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 16px 0 4px; }
        .card { background: var(--panel); border: 1px solid var(--rule); border-radius: 6px; padding: 10px 14px; min-width: 160px; }
        .card .value { font-size: 22px; font-weight: 600; }
        .card .name { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
        figure { margin: 8px 0 0; }
        figcaption { color: var(--muted); font-size: 12px; margin-top: 4px; }
        svg.chart { display: block; max-width: 100%; height: auto; }
        svg .plot { fill: #fcfcfb; stroke: var(--rule); }
        svg .grid { stroke: #e6e6e6; }
        svg .tick { font-size: 11px; fill: #4a4a4a; }
        svg .axis { font-size: 12px; fill: var(--muted); }
        svg .value { font-size: 11px; }
        svg .cell { stroke: #ffffff; stroke-width: 0.5; }
        svg .edge { fill: none; stroke: #9a9a9a; stroke-width: 1.5; }
        svg .node rect:first-of-type { fill: #ffffff; stroke-width: 1.5; }
        svg .node.training rect:first-of-type { stroke-dasharray: 4 3; }
        svg .label { font-size: 12px; fill: var(--ink); }
        ul.legend { list-style: none; padding: 0; margin: 6px 0 0; display: flex; flex-wrap: wrap; gap: 4px 14px; font-size: 12px; }
        .swatch { display: inline-block; width: 12px; height: 12px; border-radius: 2px; margin-right: 5px; vertical-align: -1px; }
        .scroll { overflow-x: auto; }
        table { border-collapse: collapse; font-size: 13px; margin-top: 6px; }
        th, td { padding: 4px 10px; border-bottom: 1px solid var(--rule); text-align: left; vertical-align: top; }
        th { background: var(--panel); font-weight: 600; }
        td.r, th.r { text-align: right; font-variant-numeric: tabular-nums; }
        tr:nth-child(even) td { background: #fbfbfa; }
        .good { color: #1e7b34; } .fair { color: #9a6700; } .poor { color: #b42318; font-weight: 600; }
        .muted { color: var(--muted); } .strong { font-weight: 600; }
        .evidence { color: var(--muted); font-size: 12px; }
        @media print {
          body { max-width: none; padding: 0; font-size: 11px; }
          * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
          section, figure, table { break-inside: avoid; }
          h2 { break-after: avoid; }
          .scroll { overflow: visible; }
          @page { size: A4 landscape; margin: 12mm; }
        }
        """
}
