// Minimal typings for the GopherJS build of mvdan/sh (the package ships none).
declare module 'mvdan-sh' {
  export interface Pos {
    Offset(): number;
    Line(): number;
    Col(): number;
  }
  export interface Node {
    Pos(): Pos;
    End(): Pos;
    // biome-ignore lint/suspicious/noExplicitAny: GopherJS nodes are untyped objects.
    [key: string]: any;
  }
  export interface Parser {
    Parse(src: string, name: string): Node;
  }
  export interface Syntax {
    NewParser(...options: unknown[]): Parser;
    Walk(node: Node, fn: (node: Node | null) => boolean): void;
    NodeType(node: Node): string;
    KeepComments(keep: boolean): unknown;
    Variant(lang: unknown): unknown;
    LangBash: unknown;
    LangPOSIX: unknown;
  }
  const sh: { syntax: Syntax };
  export default sh;
}
