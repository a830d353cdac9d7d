"""Every request the access matrix makes, derived from the URL resolver and the OpenAPI document.

Nothing here names a route: a new URL pattern or API operation is picked up as it is added. A path
parameter is filled by its name and converter: ``<int:plan_id>`` in the treatment app names a
``TreatmentPlan``; ``<int:pk>`` takes its model from the segment before it (``applications/<pk>``); an
admin ``object_id`` the admin's model; a slug the string constants of the view (its action names) and
the keys of the view module's tables; an unknown name every id kind, a missing id and 2**63.
"""

from __future__ import annotations

import re
import types
from dataclasses import dataclass
from functools import cache

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

from .world import HUGE_ID, Target, World, ids_for

API_PREFIX = "/api/v1"
WRITE_METHODS = ("post", "put", "patch", "delete")


@dataclass(frozen=True)
class Param:
    name: str
    kind: str  # int, str, slug, path, uuid
    before: str  # the path segment before the parameter ("applications" in applications/<pk>/)
    app: str  # the app label the view belongs to


@dataclass(frozen=True)
class Route:
    key: str  # shown in the test id: "staff/patients/<int:patient_id>/" or "PUT /api/v1/patients/{id}"
    template: str  # "/staff/patients/{patient_id}/"
    params: tuple[Param, ...]
    methods: tuple[str, ...]
    view: object  # the view callable (for slug candidates); None for API operations
    is_api: bool


_ROUTE_PARAM = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>")
_REGEX_PARAM = re.compile(r"\(\?P<(?P<name>\w+)>(?P<body>[^)]*)\)")


def _app_of(module: str, route: str) -> str:
    parts = module.split(".")
    if parts[0] == "exoclinic" and len(parts) > 1:
        return parts[1]
    segments = [s for s in route.split("/") if s and "<" not in s]
    if segments and segments[0] == "admin" and len(segments) > 1:
        return segments[1]
    return parts[-1]


def _walk(patterns, prefix: str = ""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + _text(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + _text(p.pattern), p


def _text(pattern) -> str:
    if isinstance(pattern, RegexPattern):
        return pattern._regex.lstrip("^").rstrip("$")
    assert isinstance(pattern, RoutePattern)
    return str(pattern)


def url_routes() -> list[Route]:
    """Every URL pattern except the API's own operations (those come from the OpenAPI document)."""
    out = []
    for route, pattern in _walk(get_resolver().url_patterns):
        if route.startswith(API_PREFIX.lstrip("/")) and "<" in route:
            continue
        callback = pattern.callback
        module = getattr(callback, "__module__", "") or ""
        app = _app_of(module, route)
        params, template = [], "/" + route
        for m in list(_ROUTE_PARAM.finditer(route)) + list(_REGEX_PARAM.finditer(route)):
            name = m.group("name")
            kind = m.groupdict().get("conv") or (
                "regex:" + m.group("body") if "body" in m.groupdict() else "str"
            )
            before = route[: m.start()].rstrip("/").rsplit("/", 1)[-1]
            params.append(Param(name, kind, before, app))
            template = template.replace(m.group(0), "{" + name + "}")
        template = template.replace("\\", "")
        out.append(
            Route(
                key=route or "/",
                template=template,
                params=tuple(params),
                methods=("get", *WRITE_METHODS),
                view=callback,
                is_api=False,
            )
        )
    return out


def api_routes(schema: dict) -> list[Route]:
    out = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method not in ("get", *WRITE_METHODS):
                continue
            app = _app_of(operation.get("operationId", "").replace("_", "."), path)
            params = []
            for p in operation.get("parameters", []):
                if p.get("in") != "path":
                    continue
                kind = "int" if p.get("schema", {}).get("type") == "integer" else "str"
                before = path.split("{" + p["name"] + "}")[0].rstrip("/").rsplit("/", 1)[-1]
                params.append(Param(p["name"], kind, before, app))
            out.append(
                Route(
                    key=f"{method.upper()} {path}",
                    template=path,
                    params=tuple(params),
                    methods=(method,),
                    view=None,
                    is_api=True,
                )
            )
    return out


# ---- values for parameters ----------------------------------------------------------------------------


def _singular(word: str) -> str:
    word = word.replace("-", "").replace("_", "").lower()
    if word.endswith("ies"):
        return word[:-3] + "y"
    return word[:-1] if word.endswith("s") else word


@cache
def model_for(param: Param):
    """The model a path parameter names, by its name (``plan_id``) or the segment before it (``pk``)."""
    name = param.name
    if name in ("pk", "id", "object_id", "slug"):
        key = _singular(param.before)
    else:
        key = name[:-3] if name.endswith("_id") else name
        key = key.replace("_", "").lower()
    if not key:
        return None
    matches = [m for m in apps.get_models() if m.__name__.lower().endswith(key)]
    if not matches:
        return None
    same_app = [m for m in matches if m._meta.app_label == param.app]
    return min(same_app or matches, key=lambda m: len(m.__name__))


def _constants(func, seen=None) -> set[str]:
    seen = seen if seen is not None else set()
    out: set[str] = set()
    code = getattr(func, "__code__", None)
    for inner in (getattr(func, "__wrapped__", None), getattr(func, "view_class", None)):
        if inner is not None and id(inner) not in seen:
            seen.add(id(inner))
            out |= _constants(inner, seen)
    if code is None:
        return out
    stack = [code]
    while stack:
        current = stack.pop()
        for const in current.co_consts:
            if isinstance(const, str):
                out.add(const)
            elif isinstance(const, tuple):
                out |= {c for c in const if isinstance(c, str)}
            elif isinstance(const, types.CodeType):
                stack.append(const)
    return out


_SLUG = re.compile(r"[-a-zA-Z0-9_]{2,40}")


def slug_candidates(param: Param, view, limit: int = 12) -> list[str]:
    """Plausible values for a slug or string parameter: the strings the view compares it with and the
    string keys of the view module's tables (ACTIONS, INSTRUMENTS, BY_KEY), then junk."""
    found: list[str] = []
    module = __import__(view.__module__, fromlist=["_"]) if view is not None else None
    if module is not None:
        for value in vars(module).values():
            if isinstance(value, dict) and value and all(isinstance(k, str) for k in value):
                found.extend(k for k in value if _SLUG.fullmatch(k))
        found.extend(sorted(c for c in _constants(view) if _SLUG.fullmatch(c)))
    unique = list(dict.fromkeys(found))[:limit]
    return [*unique, "no-such-thing"]


def values_for(param: Param, route: Route, world: World) -> list[Target]:
    if param.kind.startswith("regex:"):
        body = param.kind[len("regex:") :]
        options = [o for o in body.split("|") if _SLUG.fullmatch(o)]
        return [Target("value", o) for o in options[:2]] + [Target("junk", "no-such-thing/")]
    model = model_for(param)
    if param.kind in ("slug", "str", "path") and model is not None and param.name not in ("pk", "object_id"):
        slug_field = next((f.name for f in model._meta.fields if f.name == "slug"), None)
        if slug_field:
            values = list(model._default_manager.values_list(slug_field, flat=True)[:2])
            return [Target("any", v) for v in values] + [Target("missing", "no-such-thing")]
    if model is not None and (
        param.kind in ("int", "path") or param.name.endswith("_id") or param.name == "pk"
    ):
        return ids_for(model, world)
    if param.kind in ("slug", "str"):
        return [Target("any", v) for v in slug_candidates(param, route.view)]
    # An unknown name: one id of every kind the world has, a missing one and a huge one.
    ids = {
        t.value
        for m in apps.get_models()
        if m.__module__.startswith("exoclinic.")
        for t in ids_for(m, world)[:1]
    }
    return [Target("any", v) for v in sorted(i for i in ids if isinstance(i, int))] + [
        Target("huge", HUGE_ID),
        Target("junk", "x"),
    ]


def fillings(route: Route, world: World) -> list[tuple[str, dict[str, Target]]]:
    """URLs to request: every value of each parameter once, the others at their first value (a product of
    all values would grow without bound; each value is still tried)."""
    if not route.params:
        return [(route.template, {})]
    options = {p.name: values_for(p, route, world) for p in route.params}
    base = {name: values[0] for name, values in options.items()}
    combos = [base]
    for name, values in options.items():
        combos.extend({**base, name: value} for value in values[1:])
    out = []
    for combo in combos:
        url = route.template
        for name, target in combo.items():
            url = url.replace("{" + name + "}", str(target.value))
        out.append((url, combo))
    return out
