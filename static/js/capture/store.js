// The walker's writes, into the phone's store first (../outbox.js); ../sync.js sends them.
// Every outbox entry carries a fresh `rev`, so a send that was on its way while the entry
// changed does not remove the newer version.

import { allForWalk, get, write } from "../outbox.js";
import { config, newId, walkId } from "./page.js";

function entry(type, id, fields) {
  return { key: `${type}:${id}`, type, walk_id: walkId, observation_id: id, queued_at: Date.now(), rev: newId(), ...fields };
}

function photoEntry(id, blob) {
  const photoId = newId();
  return ["outbox", { ...entry("photo", photoId, { photo_id: photoId, blob }), observation_id: id }];
}

export async function queueNew(id, fields, photo) {
  const body = { id, ...fields, recorded_at: new Date().toISOString() };
  const put = [
    ["observations", { id, walk_id: walkId, ...body, sent: false, has_photo: Boolean(photo) }],
    ["outbox", entry("create", id, { body })],
  ];
  if (photo) put.push(photoEntry(id, photo));
  await write({ put });
}

// Only the changed fields travel. A refused observation takes them into its own body and is
// tried again; otherwise they go as an edit after it (merged with an edit still waiting).
export async function queueEdit(id, changes, photo) {
  const put = photo ? [photoEntry(id, photo)] : [];
  const update = [["observations", id, (local) => ({ ...local, ...changes, has_photo: local.has_photo || Boolean(photo) })]];
  const create = await get("outbox", `create:${id}`);
  if (Object.keys(changes).length) {
    if (create?.failed) {
      const { failed, ...rest } = create;
      put.push(["outbox", { ...rest, body: { ...create.body, ...changes }, rev: newId() }]);
    } else {
      const waiting = await get("outbox", `edit:${id}`);
      put.push(["outbox", entry("edit", id, { body: { ...(waiting?.body || {}), ...changes } })]);
    }
  }
  await write({ put, update });
}

export async function removeObservation(id) {
  const items = (await allForWalk("outbox", walkId)).filter((item) => item.observation_id === id);
  const refused = items.some((item) => item.type === "create" && item.failed);
  // A delete of an id the server never stored is answered 204, so it is always safe to send.
  const put = refused ? [] : [["outbox", entry("delete", id, {})]];
  await write({ put, remove: [["observations", id], ...items.map((item) => ["outbox", item.key])] });
}

// A photo the walker added goes: one still on the phone (waiting, or refused) is dropped there;
// a sent one is removed on the server through the outbox, so it works offline too.
export async function removePhoto(id, photoId) {
  const onPhone = await get("outbox", `photo:${photoId}`);
  const put = onPhone ? [] : [["outbox", { ...entry("photo_delete", photoId, { photo_id: photoId }), observation_id: id }]];
  const remove = onPhone ? [["outbox", onPhone.key]] : [];
  const others = (await allForWalk("outbox", walkId)).filter((item) => item.type === "photo" && item.observation_id === id && item.photo_id !== photoId);
  const update = [["observations", id, (local) => {
    const photos = (local.photos || []).filter((sent) => sent !== photoId);
    return { ...local, photos, has_photo: photos.length > 0 || others.length > 0 };
  }]];
  await write({ put, remove, update });
}

export async function hasPending(id) {
  return (await allForWalk("outbox", walkId)).some((item) => item.observation_id === id && !item.failed);
}

// What the server already holds for this walker (another tab, a cleared phone), merged in;
// what the phone still has to send wins over the server's older copy.
export async function mergeServerCopy() {
  const response = await fetch(config.api.observations, { headers: { Authorization: `Bearer ${config.token}` } });
  if (!response.ok) return;
  const { observations } = await response.json();
  const waiting = new Set((await allForWalk("outbox", walkId)).map((item) => item.observation_id));
  const put = [];
  for (const row of observations) {
    if (waiting.has(row.id)) continue;
    const local = await get("observations", row.id);
    if (local && !local.sent) continue;
    const landing = { id: row.id, place: row.place_name, place_id: row.place_id, relation: row.relation, distance_m: row.distance_m, late: Boolean(row.late) };
    put.push(["observations", { ...(local || {}), ...row, walk_id: walkId, sent: true, landing, has_photo: row.photos.length > 0 || Boolean(local?.has_photo) }]);
  }
  if (put.length) await write({ put });
}

// A closed walk takes no more changes: the edits and deletes the server refused are dropped and
// the phone takes the server's copy back, so the list shows what is stored, not what was tried.
export async function dropRefusedChanges() {
  const refused = (await allForWalk("outbox", walkId)).filter((item) => item.failed && (item.type === "edit" || item.type === "delete"));
  if (refused.length) await write({ remove: refused.map((item) => ["outbox", item.key]) });
  await mergeServerCopy();
}
