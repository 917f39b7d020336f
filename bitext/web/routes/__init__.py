"""The site's routes, one ``APIRouter`` per area; ``bitext.web.app.create_app`` includes them.

Each route declares what it uses through ``Depends`` (``bitext.web.dependencies``) and hands
the work to a service or a view module, rather than reaching into ``request.app.state``:
``create_app`` is what puts things there.
"""
