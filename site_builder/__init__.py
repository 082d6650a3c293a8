"""A static site generator for a district office's press releases.

The pipeline runs one way, each stage a module that imports only earlier ones:

    load -> config/validate (typed model) -> markdown -> urls -> graph
         -> render / feeds / sitemap -> write

`pipeline` runs the stages up to the graph; `engine` plans the site's files and
builds, updates or checks it for every command; `cli` is the command line.
"""

__version__ = "0.1.0"
