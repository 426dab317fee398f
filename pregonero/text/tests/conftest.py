from hypothesis import settings

# No example database: failures are reported with their seed, and the tree stays clean.
settings.register_profile("pregonero-text", database=None)
settings.load_profile("pregonero-text")
