"""Less work for Sphinx, the same pages.

A Sphinx extension loaded by ``_config.yml`` (``sphinx.local_extensions``). Nothing here changes
what a page shows (the built pages are byte-identical with and without it); each item removes work
that Sphinx or a third-party extension repeats. Together they cut the Sphinx part of a build (the
chapters' execution aside) from ~39 to ~25 CPU-s:

1. **numpydoc compiles its docstring template once per build**, not once per docstring:
   ``numpydoc.docscrape_sphinx.get_doc_object`` built a new Jinja environment and compiled
   ``numpydoc_docstring.rst`` on every call, ~1,950 times for the API pages (~3.5 CPU-s).
   :func:`numpydoc_template_once` compiles it from the same loaders (the builder's template
   path first, then numpydoc's own) the first time each is asked for;
2. **an ``{eval-rst}`` block's nodes belong to their page** (:func:`adopt_nested_nodes`):
   MyST parses the block into a document of its own whose settings hold the build environment,
   and every node of the block kept a reference to that document. Pickling a page's doctree then
   pickled a copy of the environment with it: the 23 API pages (all ``{eval-rst}``) were 13 MB
   of doctrees instead of 5 MB, unpickled again for every page they are read for;
3. **autodoc reads a function's defaults from its source once, not twice**
   (:func:`signature_hooks_once`): an object listed in a page's ``autosummary`` table and
   documented below it by ``automodule`` has its signature formatted twice, and each time
   ``autodoc_preserve_defaults`` and autodoc's type-comment reader fetched and parsed its
   source again (three ``inspect.getsource`` and two ``ast.parse`` a time, ~840 times). The
   defaults are read once per object (the second reading gives the same signature), and the
   type-comment reader, whose annotations a build with ``autodoc_typehints: none`` never
   shows, does not run;
4. **Sphinx numbers the figures and tables from the doctrees it has just read**
   (:func:`figure_numbers_from_memory`): its table-of-contents collector unpickled every page's
   doctree again (~1 CPU-s for the book's 38) only to walk it for captioned figures and tables,
   while the same doctrees, as pickled, were still in memory waiting to be written. A page not
   read in this build is still unpickled.
"""

from __future__ import annotations

import os

from docutils import nodes


def numpydoc_template_once(app) -> None:
    """Make numpydoc reuse one compiled docstring template per loader for this build."""
    if "numpydoc" not in app.extensions:
        return
    from numpydoc import docscrape_sphinx
    from numpydoc import numpydoc as numpydoc_ext

    compiled: dict[bool, object] = {}

    def template(builder):
        # as numpydoc.docscrape_sphinx.get_doc_object finds it, without compiling it again
        key = builder is not None
        if key not in compiled:
            dirs = [os.path.join(os.path.dirname(docscrape_sphinx.__file__), "templates")]
            if builder is not None:
                loader = docscrape_sphinx.BuiltinTemplateLoader()
                loader.init(builder, dirs=dirs)
            else:
                loader = docscrape_sphinx.FileSystemLoader(dirs)
            environment = docscrape_sphinx.SandboxedEnvironment(loader=loader)
            compiled[key] = environment.get_template("numpydoc_docstring.rst")
        return compiled[key]

    def get_doc_object(obj, what=None, doc=None, config=None, builder=None):
        config = {} if config is None else config
        config["template"] = template(builder)
        return docscrape_sphinx.get_doc_object_orig(
            obj,
            what=what,
            doc=doc,
            config=config,
            class_doc=docscrape_sphinx.SphinxClassDoc,
            func_doc=docscrape_sphinx.SphinxFunctionDoc,
            obj_doc=docscrape_sphinx.SphinxObjDoc,
        )

    numpydoc_ext.get_doc_object = get_doc_object


def adopt_nested_nodes(app, doctree) -> None:
    """Point every node of the page that names another document at the page's own document.

    ``node.document`` is only a back-reference (docutils finds a node's document through it);
    the nodes, their attributes and their order stay as they are.
    """
    stack = list(doctree.children)
    while stack:
        node = stack.pop()
        own = node.__dict__.get("_document")
        if own is not None and own is not doctree:
            node.document = doctree
        if isinstance(node, nodes.Element):
            stack.extend(node.children)


#: autodoc's handlers of ``autodoc-before-process-signature`` that only read the object's source
#: and set its ``__signature__`` (defaults as written) / ``__annotations__`` (from ``# type:``
#: comments): the same object, the same result
_PRESERVE_DEFAULTS = ("sphinx.ext.autodoc.preserve_defaults", "update_defvalue")
_TYPE_COMMENTS = ("sphinx.ext.autodoc.type_comment", "update_annotations_using_type_comments")


def signature_hooks_once(app) -> None:
    """Run :data:`_PRESERVE_DEFAULTS` (and :data:`_TYPE_COMMENTS` where annotations are shown)
    once per object and ``bound_method`` per build; skip :data:`_TYPE_COMMENTS` under
    ``autodoc_typehints = "none"``: the signatures and descriptions then show no annotation, so
    the ones it adds are never read."""
    from sphinx.events import EventListener

    listeners = app.events.listeners.get("autodoc-before-process-signature", [])
    hidden = getattr(app.config, "autodoc_typehints", None) == "none"
    for i, listener in reversed(list(enumerate(listeners))):
        handler = listener.handler
        name = (getattr(handler, "__module__", None), getattr(handler, "__name__", None))
        if name == _TYPE_COMMENTS and hidden:
            del listeners[i]
            continue
        if name not in (_PRESERVE_DEFAULTS, _TYPE_COMMENTS):
            continue
        done: dict[tuple[int, bool], object] = {}

        def once(app, obj, bound_method, handler=handler, done=done):
            key = (id(obj), bool(bound_method))
            if key in done:
                return None
            done[key] = obj  # held until the build ends: its id is not reused meanwhile
            return handler(app, obj, bound_method)

        listeners[i] = EventListener(listener.id, once, listener.priority)
        app.connect("build-finished", lambda app, exception, done=done: done.clear())


def figure_numbers_from_memory(app, env) -> list[str]:
    """Before Sphinx's collectors (``env-get-updated``, priority 500): serve ``env.get_doctree``
    from the doctrees read in this build, as :meth:`BuildEnvironment.get_doctree` would return
    them (the environment and a reporter attached). Sphinx's table-of-contents collector, the
    only one that reads doctrees there, only walks them. :func:`_own_doctree_loader` undoes it."""
    read = env._write_doc_doctree_cache
    if not read or "get_doctree" in env.__dict__:
        return []
    from sphinx.util.docutils import LoggingReporter

    load = env.get_doctree

    def get_doctree(docname: str):
        doctree = read.get(docname)
        if doctree is None:
            return load(docname)
        doctree.settings.env = env
        doctree.reporter = LoggingReporter(env.doc2path(docname))
        return doctree

    get_doctree._book_from_memory = True
    env.get_doctree = get_doctree
    return []


def _own_doctree_loader(app, env) -> list[str]:
    if getattr(env.__dict__.get("get_doctree"), "_book_from_memory", False):
        del env.get_doctree
    return []


def setup(app):
    app.connect("builder-inited", numpydoc_template_once)
    app.connect("builder-inited", signature_hooks_once)
    # last: after the other doctree-read handlers have added their nodes
    app.connect("doctree-read", adopt_nested_nodes, priority=900)
    app.connect("env-get-updated", figure_numbers_from_memory, priority=450)
    app.connect("env-get-updated", _own_doctree_loader, priority=550)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
