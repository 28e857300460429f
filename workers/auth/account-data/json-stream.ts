/**
 * Writes a JSON value to a stream as it is produced: async iterables become arrays written item
 * by item (and may nest, inside plain objects too), so an archive of any size is streamed out in
 * pages without being held in memory.
 */
export async function writeJson(write: (text: string) => Promise<void>, value: unknown): Promise<void> {
  if (isAsyncIterable(value)) {
    await write("[");
    let first = true;
    for await (const item of value) {
      await write(first ? "" : ",");
      first = false;
      await writeJson(write, item);
    }
    await write("]");
    return;
  }
  if (isPlainObject(value) && Object.values(value).some((v) => isAsyncIterable(v) || isPlainObject(v))) {
    await write("{");
    let first = true;
    for (const [key, item] of Object.entries(value)) {
      if (item === undefined) continue;
      await write(`${first ? "" : ","}${JSON.stringify(key)}:`);
      first = false;
      await writeJson(write, item);
    }
    await write("}");
    return;
  }
  await write(JSON.stringify(value) ?? "null");
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === "object" && value !== null && Symbol.asyncIterator in value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}
