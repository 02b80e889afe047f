"""Hosting the tutor for a class: ``gdtutor serve ssh`` (ssh.py) and ``gdtutor serve web`` (web.py).

Each learner's progress is kept apart in ``<data folder>/learners/<login>`` (progress.learner_data_dir).
"""
