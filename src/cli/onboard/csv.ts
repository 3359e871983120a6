/**
 * A small RFC 4180 reader: fields separated by commas, records by CRLF or LF; a quoted field may
 * hold commas, line breaks and doubled quotes (`""`). A leading byte-order mark is dropped, blank
 * lines are skipped. Each record keeps the line it starts on, for messages.
 */

export interface CsvRecord {
  line: number;
  fields: string[];
}

export class CsvError extends Error {}

export function parseCsv(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  const input = text.startsWith("\uFEFF") ? text.slice(1) : text;
  let fields: string[] = [];
  let field = "";
  let line = 1;
  let recordLine = 1;
  let i = 0;
  let quoted = false;
  /** The current field began with a quote (and so must end with one). */
  let inQuotes = false;

  const endField = () => {
    fields.push(field);
    field = "";
    quoted = false;
  };
  const endRecord = () => {
    endField();
    if (!(fields.length === 1 && fields[0] === "")) {
      records.push({ line: recordLine, fields });
    }
    fields = [];
  };

  while (i < input.length) {
    const c = input[i] as string;
    if (inQuotes) {
      if (c === '"') {
        if (input[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        inQuotes = false;
        i++;
        continue;
      }
      if (c === "\n") {
        line++;
      }
      field += c;
      i++;
      continue;
    }
    if (c === '"') {
      if (field !== "" || quoted) {
        throw new CsvError(
          `line ${line}: a quote inside an unquoted field (quote the whole field)`,
        );
      }
      inQuotes = true;
      quoted = true;
      i++;
      continue;
    }
    if (quoted && c !== "," && c !== "\r" && c !== "\n") {
      throw new CsvError(`line ${line}: text after a closing quote`);
    }
    if (c === ",") {
      endField();
      i++;
      continue;
    }
    if (c === "\r" || c === "\n") {
      endRecord();
      i += c === "\r" && input[i + 1] === "\n" ? 2 : 1;
      line++;
      recordLine = line;
      continue;
    }
    field += c;
    i++;
  }
  if (inQuotes) {
    throw new CsvError(`line ${recordLine}: a quoted field is not closed`);
  }
  if (field !== "" || quoted || fields.length > 0) {
    endRecord();
  }
  return records;
}
