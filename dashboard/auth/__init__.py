"""Who may see what, and the record of who saw what.

- roles.py   the roles file (users -> role and organisation), the Principal and its capabilities
- audit.py   the append-only audit log (sign-in, reveal of personal data, export, import)

Nothing here imports Streamlit: the command line uses the same rules. The app's side (st.user, the
sign-in gate) is dashboard/ui/identity.py.
"""
