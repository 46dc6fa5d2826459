"""What she can take away from her log: a CSV for a spreadsheet, a PNG chart, a PDF report.

Drawing uses matplotlib's object API on the Agg and PDF canvases, never pyplot, so nothing
needs a display and nothing global is touched.
"""
