"""`{% extends %}` and `{% block %}`, drawing what Django's draw with less work on each render.

`{% extends %}` remembers its parent's blocks instead of finding them on every render.

Django's tag, each time a page is drawn, walks the whole node tree of a root parent
(base.html: every `{% if %}`, `{% for %}` and include in it) to collect its `{% block %}`s:
about 23 µs of every page. A compiled template never changes, so the blocks found in one are
the blocks found in it next time; this tag keeps them beside the node, with the parent they were
found in, and walks again only when the parent is another template object (a variable parent
naming another template, or the cached loader reset by the dev server's autoreload, which
recompiles every template). The parent itself is still looked up through the engine each time,
as Django does (cheap with the cached loader, and the lookup is what sees a reset or a `skip`).

`{% block %}` whose content is only text (base.html's empty `head`, `before_content` and
`scripts` blocks, its default `description`) gives that text without what a block with tags in
it needs: a context layer, a copy of the node for `{{ block.super }}` and the `block` variable,
none of which text reads (about 4 µs a block). Which block is drawn, and the order of the block
context's stacks afterwards, are exactly Django's.

Both are installed for every template in the engine through OPTIONS["builtins"]
(portal.settings.base).
"""

from django import template
from django.template.base import TextNode
from django.template.loader_tags import (
    BLOCK_CONTEXT_KEY,
    BlockContext,
    BlockNode,
    ExtendsNode,
    do_block,
    do_extends,
)
from django.utils.safestring import SafeString

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


class TextBlockNode(BlockNode):
    """Django's BlockNode; `text` is its content when that is only text, otherwise None."""

    def __init__(self, name, nodelist, parent=None, text=None):
        super().__init__(name, nodelist, parent)
        self.text = text

    def render(self, context):
        block_context = context.render_context.get(BLOCK_CONTEXT_KEY)
        if block_context is None:
            return super().render(context)
        # As BlockNode.render: the innermost override of this block (or this block) is drawn,
        # and put back on its stack afterwards.
        push = block = block_context.pop(self.name)
        if block is None:
            block = self
        text = getattr(block, "text", None)
        if text is None:
            with context.push():
                # A new node per render keeps the context off the shared one (thread safety).
                block = type(self)(block.name, block.nodelist)
                block.context = context
                context["block"] = block
                text = block.nodelist.render(context)
        if push is not None:
            block_context.push(self.name, push)
        return text


@register.tag("block")
def do_text_block(parser, token):
    """Django's {% block %} (same parsing and checks), drawn by TextBlockNode."""
    node = do_block(parser, token)
    text = None
    if all(type(child) is TextNode for child in node.nodelist):
        # The template's own text, safe as NodeList.render makes it.
        text = SafeString("".join(child.s for child in node.nodelist))
    return TextBlockNode(node.name, node.nodelist, text=text)
