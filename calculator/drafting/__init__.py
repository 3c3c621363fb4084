"""From a notice's text to a policy YAML draft (`python -m calculator draft`, and the staff page's worker).

Standard library only: it runs unchanged in Pyodide. The group vocabulary (policies/groups.yaml) comes in as
data, {id: {"name": …, "aliases": […]}}."""
import json

from .draft import Draft, draft

__all__ = ["Draft", "draft", "draft_json"]


def draft_json(request_json):
    """The worker's entry: {"text", "vocabulary"} in, {"yaml", "found", "todos"} (or {"error"}) out, as JSON."""
    try:
        request = json.loads(request_json)
        result = draft(request["text"], request.get("id") or "draft-0000", vocabulary=request.get("vocabulary") or {}).as_json()
    except Exception as error:  # the page shows it; a bad paste must not kill the worker
        result = {"error": "起草时出错（%s）" % error}
    return json.dumps(result, ensure_ascii=False)
