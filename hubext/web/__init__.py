"""The academy's own pages in Chinese, one hub service (`academy`) at /services/academy/.

Trainees' portal, trainers' grading and cohorts, admins' roster: one tornado app behind JupyterHub
OAuth (hubext.web.app), one page frame (templates/base.html), each audience's handlers in its own
module registering its routes with :func:`hubext.web.app.register`.
"""
