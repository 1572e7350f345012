"""``govseo batch``: many sites, one folder each, and a league ranking them.

sites.py reads SITES.csv; runner.py runs one site to its verdict in the current process; local.py runs N sites
at once on this machine (a child process each); broker.py / worker.py distribute them through Redis.
"""
