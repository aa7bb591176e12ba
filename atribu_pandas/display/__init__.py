"""Stage 5, what a person sees, shared by the accessor, the widgets and the reports.

- :mod:`.formats`: numbers, money, ratios and dates in the reader's locale (Babel);
- :mod:`.columns`: each column's header and format, for every table;
- :mod:`.markup`: the one way from a value to HTML (escaped, sanitised);
- :mod:`.banner`: the demo-data banner;
- :mod:`.charts`: every chart, its theme, and ``df.atribu.plot``.
"""
