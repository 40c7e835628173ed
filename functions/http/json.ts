/**
 * Whether a JSON text (already known to be valid JSON) names one key twice in the same object.
 * `JSON.parse` keeps the last of two equal keys, so `{"result":"POSITIVE","result":"NEGATIVE"}` would be
 * read as NEGATIVE while another reader may see POSITIVE: such a body is refused instead. Keys are
 * compared decoded (`"a"` and `"\u0061"` are the same key). One pass over the text, no allocation for
 * arrays or values.
 */
export const hasDuplicateKey = (json: string): boolean => {
  // One entry per open container: the keys seen so far for an object, undefined for an array.
  const open: (Set<string> | undefined)[] = [];
  let keyNext = false;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (c === 0x22) {
      let end = i + 1;
      let escaped = false;
      for (let d = json.charCodeAt(end); d !== 0x22; d = json.charCodeAt(end)) {
        if (d === 0x5c) {
          escaped = true;
          end += 2;
        } else end += 1;
      }
      const keys = open[open.length - 1];
      if (keyNext && keys) {
        const key = escaped ? String(JSON.parse(json.slice(i, end + 1))) : json.slice(i + 1, end);
        if (keys.has(key)) return true;
        keys.add(key);
        keyNext = false;
      }
      i = end;
    } else if (c === 0x7b) {
      open.push(new Set());
      keyNext = true;
    } else if (c === 0x5b) {
      open.push(undefined);
      keyNext = false;
    } else if (c === 0x7d || c === 0x5d) {
      open.pop();
      keyNext = false;
    } else if (c === 0x2c) {
      keyNext = open[open.length - 1] !== undefined;
    }
  }
  return false;
};
