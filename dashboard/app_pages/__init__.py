"""The app's pages: scripts Streamlit runs by path (dashboard/app.py, st.navigation); never imported."""
