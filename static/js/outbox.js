// The phone's own store (IndexedDB): the outbox of things still to send, and the walker's
// observations as the phone knows them. Everything is written here before any network call,
// so a reload, a crash or a dead battery loses nothing that was saved.

const DB_NAME = "walkapp";
const DB_VERSION = 1;

let opening = null;

export function openStore() {
  if (!opening) {
    opening = new Promise((resolve, reject) => {
      const request = indexedDB.open(DB_NAME, DB_VERSION);
      request.onupgradeneeded = () => {
        const db = request.result;
        // key: "create:<id>", "edit:<id>", "photo:<photo id>", "photo_delete:<photo id>", "delete:<id>"
        const outbox = db.createObjectStore("outbox", { keyPath: "key" });
        outbox.createIndex("walk", "walk_id");
        const mine = db.createObjectStore("observations", { keyPath: "id" });
        mine.createIndex("walk", "walk_id");
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }
  return opening;
}

function done(transaction) {
  return new Promise((resolve, reject) => {
    transaction.oncomplete = () => resolve();
    transaction.onerror = () => reject(transaction.error);
    transaction.onabort = () => reject(transaction.error || new Error("aborted"));
  });
}

function result(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

// Several puts, deletes and read-modify-writes across both stores, all or nothing.
// An update's function gets the stored value and returns the new one, null to delete it,
// or undefined to leave it: reading and writing in one transaction, so no other write
// (a sync settling, an edit) can slip in between.
export async function write({ put = [], remove = [], update = [] }) {
  const db = await openStore();
  const transaction = db.transaction(["outbox", "observations"], "readwrite");
  for (const [store, value] of put) transaction.objectStore(store).put(value);
  for (const [store, key] of remove) transaction.objectStore(store).delete(key);
  for (const [store, key, change] of update) {
    const objects = transaction.objectStore(store);
    const request = objects.get(key);
    request.onsuccess = () => {
      if (request.result === undefined) return;
      const next = change(request.result);
      if (next === null) objects.delete(key);
      else if (next !== undefined) objects.put(next);
    };
  }
  return done(transaction);
}

export async function get(store, key) {
  const db = await openStore();
  return result(db.transaction(store).objectStore(store).get(key));
}

export async function allForWalk(store, walkId) {
  const db = await openStore();
  return result(db.transaction(store).objectStore(store).index("walk").getAll(walkId));
}
