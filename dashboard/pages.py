"""The dashboard's pages, in navigation order (plain data: read by the app and by the page
benchmark, ``scoring.bench.pages``)."""

from __future__ import annotations

# (page, file in dashboard/views, label, icon); the first a user may see is the default page
PAGES = [
    ("todo", "todo.py", "nav.todo", ":material/checklist:"),
    ("leaderboard", "leaderboard.py", "nav.leaderboard", ":material/leaderboard:"),
    ("profile", "profile.py", "nav.profile", ":material/home_work:"),
    ("robustness", "robustness.py", "nav.robustness", ":material/query_stats:"),
    ("entry", "entry.py", "nav.entry", ":material/edit_note:"),
    ("sources", "sources.py", "nav.sources", ":material/upload_file:"),
    ("evidence", "evidence.py", "nav.evidence", ":material/attach_file:"),
    ("self", "self.py", "nav.self", ":material/fact_check:"),
    ("workflow", "workflow.py", "nav.workflow", ":material/approval:"),
    ("objections", "objections.py", "nav.objections", ":material/feedback:"),
    ("payouts", "payouts.py", "nav.payouts", ":material/payments:"),
    ("audit", "audit.py", "nav.audit", ":material/history:"),
    ("rules", "rules.py", "nav.rules", ":material/gavel:"),
    ("campaigns", "campaigns.py", "nav.campaigns", ":material/folder_open:"),
    ("users", "users.py", "nav.users", ":material/group:"),
    ("public", "public.py", "nav.public", ":material/campaign:"),
]
