# Appended by scripts/site/build_site.py to the conf.py that `jupyter-book config sphinx` generates
# from the edition's _config.yml: what _config.yml cannot say.

# No Thebe (its configuration names a script on a CDN and a Binder repository), no comment widgets.
extensions = [e for e in extensions if e not in ("sphinx_thebe", "sphinx_comments")]  # noqa: F821

# Only our own scripts and styles: `jupyter-book` would add every .js / .css under _static/
# (MathJax's hundreds of modules among them) to every page.
html_static_path = ["_static"]
html_css_files = [f for f in ("bp_site.css", "static_widgets.css") if (_static / f).exists()]  # noqa: F821
html_js_files = [f for f in ("bp_site.js", "static_widgets.js") if (_static / f).exists()]  # noqa: F821
# the tab's icon (without one a browser asks for /favicon.ico, which the site does not have)
html_favicon = "_static/favicon.svg"

# No link to jupyter-book's own repository, no analytics.
html_theme_options.pop("repository_url", None)  # noqa: F821
html_theme_options.pop("analytics", None)  # noqa: F821

# site_src/_templates: the language link (bp-language.html) and each lesson's download note (page.html)
templates_path = ["_templates"]

# A bare domain in the text ("（example.com/page）：...") stays text: linkify's fuzzy matching would
# swallow the Chinese punctuation after it into the link.
myst_linkify_fuzzy_links = False
