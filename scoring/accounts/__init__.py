"""Who may sign in and what each may do: accounts and their roles and scopes (``access``),
signing in with its lockouts (``signin``), the rules a name and a password must meet
(``credentials``), sessions kept across page loads
(``sessions``), and the administration of accounts (``users``: passwords, roles, a sheet of
users). Every account step writes its audit row and seals the account's state in the same
transaction. It may import ``core``, ``rules``, ``ingest`` and ``store``; nothing of the
workflow, the audit checks or the application.
"""

MAY_IMPORT: tuple[str, ...] = ("scoring.store",)
