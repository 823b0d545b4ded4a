import type { QueryNode } from './ast.js';

/**
 * Renders a node in query syntax. `nested` (an operand of AND or OR) wraps groups in
 * parentheses; an AND inside an OR is wrapped too although AND binds tighter, so that the
 * canonical form shows the grouping: `(a b) OR c`.
 */
export function renderQuery(node: QueryNode, nested = false): string {
  switch (node.type) {
    case 'term':
      return node.key;
    case 'not':
      return node.child.type === 'term' ? `-${node.child.key}` : `-(${renderQuery(node.child)})`;
    case 'and':
    case 'or': {
      const text = node.children.map((c) => renderQuery(c, true)).join(node.type === 'and' ? ' ' : ' OR ');
      return nested ? `(${text})` : text;
    }
  }
}

function sortKey(node: QueryNode, text: string): string {
  // Required operands first, exclusions last: "tiktok -dance".
  return `${node.type === 'not' ? '1' : '0'}${text}`;
}

/**
 * Canonical tree: double negations removed, nested ANDs/ORs flattened, operands deduplicated and
 * sorted (required ones before exclusions, then by rendered text). AND and OR are commutative,
 * idempotent and associative, so the result matches exactly the same stories.
 */
export function canonicalize(node: QueryNode): QueryNode {
  switch (node.type) {
    case 'term':
      return node;
    case 'not': {
      const child = canonicalize(node.child);
      return child.type === 'not' ? child.child : { type: 'not', child };
    }
    case 'and':
    case 'or': {
      const byText = new Map<string, QueryNode>();
      const add = (child: QueryNode): void => {
        if (child.type === node.type) {
          for (const grandchild of child.children) add(grandchild);
          return;
        }
        byText.set(sortKey(child, renderQuery(child)), child);
      };
      for (const child of node.children) add(canonicalize(child));
      const children = [...byText.keys()].sort().map((k) => byText.get(k) as QueryNode);
      if (children.length === 1) return children[0] as QueryNode;
      return { type: node.type, children };
    }
  }
}

/** Keys of terms that count for a match (under an even number of negations), in tree order. */
export function positiveTerms(node: QueryNode): string[] {
  const out = new Set<string>();
  const walk = (n: QueryNode, negated: boolean): void => {
    if (n.type === 'term') {
      if (!negated) out.add(n.key);
    } else if (n.type === 'not') {
      walk(n.child, !negated);
    } else {
      for (const child of n.children) walk(child, negated);
    }
  };
  walk(node, false);
  return [...out];
}
