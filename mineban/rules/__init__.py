"""Treaty date rules: pure functions over dates and frozen dataclasses.

Nothing here touches the ORM or the clock; every function takes the dates it needs,
including the reference date (``as_of``), so each rule can be tested for any day.
"""
