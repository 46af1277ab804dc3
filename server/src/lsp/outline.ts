/**
 * Document symbols (the outline), folding ranges and go to definition (`data.source` → the CSV, a column → its
 * header cell) for specs, from `spec/outline.ts`.
 */
import { pathToFileURL } from 'node:url';
import {
  SymbolKind, type Connection, type DocumentSymbol, type FoldingRange, type Location, type TextDocuments,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { specDefinition, specFoldingRanges, specSymbols, type SpecSymbol } from '../spec/outline';
import { dataCheckPathOf } from './specDocuments';

const KIND: Record<SpecSymbol['kind'], SymbolKind> = {
  section: SymbolKind.Module, step: SymbolKind.Function, key: SymbolKind.Property, item: SymbolKind.EnumMember,
};

function toDocumentSymbol(s: SpecSymbol): DocumentSymbol {
  return {
    name: s.name, kind: KIND[s.kind], range: s.range, selectionRange: s.selectionRange,
    ...(s.detail !== undefined ? { detail: s.detail } : {}), children: s.children.map(toDocumentSymbol),
  };
}

export function listenOutline(connection: Connection, documents: TextDocuments<TextDocument>): void {
  connection.onDocumentSymbol((p): DocumentSymbol[] => {
    const doc = documents.get(p.textDocument.uri);
    return doc ? specSymbols(doc.getText()).map(toDocumentSymbol) : [];
  });
  connection.onFoldingRanges((p): FoldingRange[] => {
    const doc = documents.get(p.textDocument.uri);
    return doc ? specFoldingRanges(doc.getText()) : [];
  });
  connection.onDefinition((p): Location | null => {
    const doc = documents.get(p.textDocument.uri);
    const path = dataCheckPathOf(p.textDocument.uri);
    const target = doc && path ? specDefinition(doc.getText(), p.position, path) : undefined;
    return target ? { uri: pathToFileURL(target.path).href, range: target.range } : null;
  });
}
