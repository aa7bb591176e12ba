"""What every stage shares, with no I/O but the environment: the rules of the package.

- :mod:`.vocabulary`: the values Atribu's API documents (models, levels, windows, ...);
- :mod:`.params`: the argument checks every public function uses;
- :mod:`.config`: settings from the environment (the only module that reads it on
  the client path);
- :mod:`.dates`: "today" anywhere on Earth, windows, calendar periods;
- :mod:`.redact`: the key masking every message passes through;
- :mod:`.extras`: which optional extra a feature needs;
- :mod:`.moved`: old module paths, forwarded with a ``DeprecationWarning`` for one release;
- :mod:`.version`: the package version.
"""
