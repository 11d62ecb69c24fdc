"""Reads of results, one module per subject; scores reach every page only through `scores.visible_scores`.

- `scores`: what a viewer may see of an evaluation's stage scores and predicate (the seal), the score sheet.
- `regions`: one kab/kota's predicate history, target and standing.
- `portal`: released cycles and their results by province (the public portal, the API).
"""
