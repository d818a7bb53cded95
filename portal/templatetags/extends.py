"""`{% extends %}` that remembers its parent's blocks instead of finding them on every render.

Django's tag, each time a page is drawn, walks the whole node tree of a root parent
(base.html: every `{% if %}`, `{% for %}` and include in it) to collect its `{% block %}`s:
about 23 µs of every page. A compiled template never changes, so the blocks found in one are
the blocks found in it next time; this tag keeps them beside the node, with the parent they were
found in, and walks again only when the parent is another template object (a variable parent
naming another template, or the cached loader reset by the dev server's autoreload, which
recompiles every template). The parent itself is still looked up through the engine each time,
as Django does (cheap with the cached loader, and the lookup is what sees a reset or a `skip`).

Installed for every template in the engine through OPTIONS["builtins"] (portal.settings.base).
"""

from django import template
from django.template.base import TextNode
from django.template.loader_tags import (
    BLOCK_CONTEXT_KEY,
    BlockContext,
    BlockNode,
    ExtendsNode,
    do_extends,
)

register = template.Library()


class KeptBlocksExtendsNode(ExtendsNode):
    """Django's ExtendsNode, with the root parent's {name: BlockNode} kept per parent."""

    def __init__(self, nodelist, parent_name, template_dirs=None):
        super().__init__(nodelist, parent_name, template_dirs)
        # (the compiled parent, its blocks or None when it extends another template).
        self.parent_blocks = (None, None)

    def blocks_of(self, compiled_parent):
        """The blocks a root parent adds to the block context (None when it is not a root)."""
        kept_parent, blocks = self.parent_blocks
        if kept_parent is compiled_parent:
            return blocks
        blocks = None
        # As Django: the parent is a root unless its first non-text node is an ExtendsNode.
        for node in compiled_parent.nodelist:
            if not isinstance(node, TextNode):
                if not isinstance(node, ExtendsNode):
                    blocks = {
                        n.name: n for n in compiled_parent.nodelist.get_nodes_by_type(BlockNode)
                    }
                break
        self.parent_blocks = (compiled_parent, blocks)  # one assignment: safe across threads
        return blocks

    def render(self, context):
        compiled_parent = self.get_parent(context)

        if BLOCK_CONTEXT_KEY not in context.render_context:
            context.render_context[BLOCK_CONTEXT_KEY] = BlockContext()
        block_context = context.render_context[BLOCK_CONTEXT_KEY]

        block_context.add_blocks(self.blocks)
        parent_blocks = self.blocks_of(compiled_parent)
        if parent_blocks is not None:
            block_context.add_blocks(parent_blocks)

        with context.render_context.push_state(compiled_parent, isolated_context=False):
            return compiled_parent._render(context)


@register.tag("extends")
def do_kept_blocks_extends(parser, token):
    """Django's {% extends %} (same parsing and checks), drawn by KeptBlocksExtendsNode."""
    node = do_extends(parser, token)
    return KeptBlocksExtendsNode(node.nodelist, node.parent_name, node.template_dirs)
