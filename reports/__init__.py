"""Cutover status reports: report data from the library views, snapshots, JSON, and rendering (HTML, Markdown).

Layers: `reports` imports `rollout` and `support`; neither imports it.
"""
