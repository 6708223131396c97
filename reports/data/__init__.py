"""The report's data: one function per section, each `(session, plan, at)`, reusing the library views.

- `gates.gates_section`: rollout.gates.evaluate_plan and the recorded decisions;
- `readiness.readiness_section`: rollout.readiness training_status, staffing_gaps, roster_gaps, ratio_rows;
- `runbook.runbook_section`: rollout.runbooks.view.runbook_view;
- `support.support_section`: grouped SQL over the plan organisation's tickets as of `at`
  (the wallboard's moment: open = created by `at`, not resolved or closed by then);
- `cutover.cutover_report` / `region.region_report` put them together with the headline (reports.rag).
"""
