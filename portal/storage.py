from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Hashed, compressed static files; `import` statements in JavaScript modules are rewritten
    to the hashed names too, so portal.mjs never loads a stale GOV.UK Frontend from a cache."""

    support_js_module_import_aggregation = True
