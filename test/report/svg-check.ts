// A tiny well-formedness check for the SVG strings the plots produce (no DOM parser in Node):
// every tag closes in order, attributes are quoted, text has no stray '<' or '&', no NaN.

export function checkSvg(svg: string): void {
  if (!svg.startsWith('<svg ') || !svg.trimEnd().endsWith('</svg>')) throw new Error('not a single <svg> element');
  for (const bad of ['NaN', 'undefined', 'Infinity', 'null']) {
    if (svg.includes(bad)) throw new Error(`SVG contains "${bad}"`);
  }
  const stack: string[] = [];
  const tag = /<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g;
  let last = 0;
  for (let m = tag.exec(svg); m; m = tag.exec(svg)) {
    checkText(svg.slice(last, m.index));
    last = tag.lastIndex;
    const [, closing, name, , selfClosing] = m;
    if (closing) {
      const open = stack.pop();
      if (open !== name) throw new Error(`</${name}> closes <${open}>`);
    } else if (!selfClosing) {
      stack.push(name);
    }
    if (stack.length === 0 && last < svg.trimEnd().length) throw new Error('content after the root element');
  }
  checkText(svg.slice(last));
  if (stack.length > 0) throw new Error(`unclosed <${stack.join('>, <')}>`);
}

function checkText(text: string): void {
  if (text.includes('<') || text.includes('>')) throw new Error(`malformed tag near "${text.slice(0, 60)}"`);
  if (/&(?!(amp|lt|gt|quot|apos);)/.test(text)) throw new Error(`unescaped & in "${text.slice(0, 60)}"`);
}
