"""Charts of one run (PNG files) and of an experiment (inline SVG), drawn without pyplot.

- :mod:`~salessim.report.plots.style`: colours, axes, tick formatters, notes on empty axes.
- :mod:`~salessim.report.plots.canvas`: bare figures, saved as PNG or inlined as SVG.
- :mod:`~salessim.report.plots.frame`: the run's name and months, on every chart of a run.
- :mod:`~salessim.report.plots.funnel`, :mod:`~salessim.report.plots.revenue` and
  :mod:`~salessim.report.plots.people`: the charts of one run.
- :mod:`~salessim.report.plots.run`: those charts by file name, and writing them.
- :mod:`~salessim.report.plots.comparison`: the charts of an experiment's report.
"""
