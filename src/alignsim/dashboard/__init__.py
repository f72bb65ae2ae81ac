"""The classroom dashboard (the ``dashboard`` extra: ``pip install 'alignsim[dashboard]'``).

``alignsim dashboard [SCENARIO]`` starts it on http://127.0.0.1:8501 (:mod:`alignsim.dashboard.launch`);
the Streamlit script is :mod:`alignsim.dashboard.app`, its scenario editing
:mod:`alignsim.dashboard.editing` (no Streamlit needed).
"""
