import { useQuery } from "@tanstack/react-query";
import { useEffect, useId, useRef, useState } from "react";
import type { TrackResponse } from "../../../workers/catalog/schemas.ts";
import type { PartyState } from "../../../workers/chat/party/party-protocol.ts";
import { api, unwrap } from "../api.ts";
import { onRoomFrame, room, useRoom } from "../chat/room-store.ts";
import { useT } from "../i18n/i18n.ts";
import { formatDuration } from "../lib/format.ts";
import { useQueryKeys } from "../lib/query-keys.ts";
import { useSession } from "../stores/session.ts";
import { attachParty, canControl, onPartyFrame, partyCommand, useParty } from "./party-store.ts";
import { isInParty, joinParty, leaveParty } from "./party-sync.ts";

/** The room's listening party: now playing, controls for those allowed, queue, suggestions, listeners. */
export function PartyPanel() {
  const t = useT();
  const me = useSession((s) => s.user);
  const online = useRoom((s) => s.online);
  const { state, clock, error } = useParty();
  const [listening, setListening] = useState(isInParty());

  useEffect(() => {
    const stopFrames = onRoomFrame(onPartyFrame);
    const detach = attachParty((frame) => room.sendFrame(frame));
    return () => {
      stopFrames();
      detach();
      leaveParty();
    };
  }, []);

  // The party ended (it was on, now it is not): hand the player back.
  const hadParty = useRef(false);
  useEffect(() => {
    if (state) hadParty.current = true;
    else if (hadParty.current) {
      hadParty.current = false;
      leaveParty();
      setListening(false);
    }
  }, [state]);

  const listen = (on: boolean) => {
    if (on) joinParty();
    else leaveParty();
    setListening(on);
  };

  const controls = canControl(state, me?.id);
  const current = state?.trackId ? state.tracks[state.trackId] : undefined;

  return (
    <section aria-labelledby="party-title" className="mb-3 rounded-md border border-line p-3">
      <h2 id="party-title" className="text-lg font-semibold">
        {t("party.title")}
      </h2>
      {error && (
        <p role="alert" className="text-sm text-danger">
          {error}
        </p>
      )}
      {!state ? (
        <div className="flex flex-wrap items-center gap-2">
          <p className="text-muted">{t("party.none")}</p>
          <button
            type="button"
            className="btn-primary"
            onClick={() => {
              partyCommand("start");
              listen(true);
            }}
          >
            {t("party.start")}
          </button>
        </div>
      ) : (
        <div className="flex flex-col gap-3">
          <div className="flex flex-wrap items-center gap-2">
            <p aria-live="polite" data-testid="party-now-playing">
              {current
                ? t("party.nowPlaying", { title: current.title, artist: current.artist })
                : t("party.nothingPlaying")}
              {current && ` · ${state.playing ? t("party.playing") : t("party.paused")}`}
            </p>
            <button
              type="button"
              className={listening ? "btn" : "btn-primary"}
              aria-pressed={listening}
              onClick={() => listen(!listening)}
            >
              {listening ? t("party.stopListening") : t("party.listen")}
            </button>
            {listening && !clock && <span className="text-sm text-muted">{t("party.syncing")}</span>}
          </div>
          {controls && <HostControls state={state} />}
          {state.trackId && <VoteSkip state={state} present={online.length} />}
          <TrackLists state={state} controls={controls} />
          <TrackFinder state={state} controls={controls} />
          <section aria-labelledby="party-members">
            <h3 id="party-members" className="font-semibold">
              {t("party.members")}
            </h3>
            <ul className="flex flex-col gap-1">
              {online.map((user) => (
                <li key={user.id} className="flex flex-wrap items-center gap-2">
                  <span>{user.displayName}</span>
                  {user.id === state.hostId && <span className="text-sm text-muted">({t("party.host")})</span>}
                  {state.coHostIds.includes(user.id) && (
                    <span className="text-sm text-muted">({t("party.cohost")})</span>
                  )}
                  {me?.id === state.hostId && user.id !== state.hostId && (
                    <button
                      type="button"
                      className="btn btn-compact text-sm"
                      onClick={() =>
                        partyCommand(state.coHostIds.includes(user.id) ? "cohost_remove" : "cohost_add", {
                          userId: user.id,
                        })
                      }
                    >
                      {state.coHostIds.includes(user.id)
                        ? t("party.removeCohost", { name: user.displayName })
                        : t("party.makeCohost", { name: user.displayName })}
                    </button>
                  )}
                </li>
              ))}
            </ul>
          </section>
        </div>
      )}
    </section>
  );
}

function HostControls({ state }: { state: PartyState }) {
  const t = useT();
  const seekId = useId();
  const [seconds, setSeconds] = useState("");
  const duration = state.trackId ? state.tracks[state.trackId]?.durationMs : null;
  return (
    <div className="flex flex-wrap items-end gap-2">
      <button
        type="button"
        className="btn"
        disabled={!state.trackId}
        onClick={() => partyCommand(state.playing ? "pause" : "play")}
      >
        {state.playing ? t("party.pause") : t("party.play")}
      </button>
      <button type="button" className="btn" onClick={() => partyCommand("next")}>
        {t("party.next")}
      </button>
      <form
        className="flex items-end gap-2"
        onSubmit={(event) => {
          event.preventDefault();
          const value = Number(seconds);
          if (Number.isFinite(value) && value >= 0) partyCommand("seek", { positionMs: Math.round(value * 1000) });
        }}
      >
        <label htmlFor={seekId} className="flex flex-col text-sm">
          {t("party.seekLabel")}
          <input
            id={seekId}
            className="input w-28"
            type="number"
            min={0}
            max={duration ? Math.floor(duration / 1000) : undefined}
            step="any"
            value={seconds}
            onChange={(e) => setSeconds(e.target.value)}
          />
        </label>
        <button type="submit" className="btn" disabled={!state.trackId || seconds === ""}>
          {t("party.seek")}
        </button>
      </form>
      <button type="button" className="btn" onClick={() => partyCommand("end")}>
        {t("party.end")}
      </button>
      {duration ? <span className="text-sm text-muted">{formatDuration(duration)}</span> : null}
    </div>
  );
}

function VoteSkip({ state, present }: { state: PartyState; present: number }) {
  const t = useT();
  const needed = Math.floor(present / 2) + 1;
  return (
    <button type="button" className="btn self-start" onClick={() => partyCommand("vote_skip")}>
      {t("party.voteSkip", { votes: state.skipVotes.length, needed })}
    </button>
  );
}

function TrackLists({ state, controls }: { state: PartyState; controls: boolean }) {
  const t = useT();
  const title = (id: string) => state.tracks[id]?.title ?? id;
  return (
    <div className="grid gap-3 sm:grid-cols-2">
      <section aria-labelledby="party-queue">
        <h3 id="party-queue" className="font-semibold">
          {t("party.queue")}
        </h3>
        {state.queue.length === 0 ? (
          <p className="text-sm text-muted">{t("party.queueEmpty")}</p>
        ) : (
          <ol className="flex flex-col gap-1">
            {state.queue.map((id, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: a track may be queued twice; entries are positional
              <li key={`${id}-${index}`} className="flex flex-wrap items-center gap-1">
                <span className="flex-1">{title(id)}</span>
                {controls && (
                  <>
                    <button
                      type="button"
                      className="btn btn-compact"
                      disabled={index === 0}
                      aria-label={t("party.moveUp", { title: title(id) })}
                      onClick={() => partyCommand("queue_move", { index, to: index - 1 })}
                    >
                      ↑
                    </button>
                    <button
                      type="button"
                      className="btn btn-compact"
                      disabled={index === state.queue.length - 1}
                      aria-label={t("party.moveDown", { title: title(id) })}
                      onClick={() => partyCommand("queue_move", { index, to: index + 1 })}
                    >
                      ↓
                    </button>
                    <button
                      type="button"
                      className="btn btn-compact"
                      aria-label={t("party.remove", { title: title(id) })}
                      onClick={() => partyCommand("queue_remove", { index })}
                    >
                      ✕
                    </button>
                  </>
                )}
              </li>
            ))}
          </ol>
        )}
      </section>
      {state.suggestions.length > 0 && (
        <section aria-labelledby="party-suggestions">
          <h3 id="party-suggestions" className="font-semibold">
            {t("party.suggestions")}
          </h3>
          <ul className="flex flex-col gap-1">
            {state.suggestions.map((s) => (
              <li key={s.trackId} className="flex flex-wrap items-center gap-1">
                <span className="flex-1">{title(s.trackId)}</span>
                {controls && (
                  <>
                    <button
                      type="button"
                      className="btn btn-compact"
                      aria-label={t("party.accept", { title: title(s.trackId) })}
                      onClick={() => partyCommand("accept", { trackId: s.trackId })}
                    >
                      +
                    </button>
                    <button
                      type="button"
                      className="btn btn-compact"
                      aria-label={t("party.dismiss", { title: title(s.trackId) })}
                      onClick={() => partyCommand("dismiss", { trackId: s.trackId })}
                    >
                      ✕
                    </button>
                  </>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}

function TrackFinder({ state, controls }: { state: PartyState; controls: boolean }) {
  const t = useT();
  const inputId = useId();
  const keys = useQueryKeys();
  const [text, setText] = useState("");
  const [q, setQ] = useState("");
  useEffect(() => {
    const timer = setTimeout(() => setQ(text.trim()), 250);
    return () => clearTimeout(timer);
  }, [text]);
  const results = useQuery({
    queryKey: keys.search("tracks", q),
    enabled: q.length > 0,
    queryFn: () => unwrap(api.search.$get({ query: { q, type: "tracks" } })),
  });
  const tracks = (results.data?.items ?? []) as TrackResponse[];
  return (
    <section aria-labelledby={`${inputId}-label`}>
      <label id={`${inputId}-label`} htmlFor={inputId} className="font-semibold">
        {t("party.find")}
      </label>
      <input
        id={inputId}
        type="search"
        className="input w-full"
        value={text}
        maxLength={200}
        onChange={(e) => setText(e.target.value)}
      />
      {results.isFetching && <p className="text-sm text-muted">{t("app.loading")}</p>}
      <ul className="mt-1 flex flex-col gap-1">
        {tracks.slice(0, 8).map((track) => (
          <li key={track.id} className="flex flex-wrap items-center gap-1">
            <span className="flex-1">
              {track.title} · {track.artist}
            </span>
            {controls ? (
              <>
                <button
                  type="button"
                  className="btn btn-compact text-sm"
                  onClick={() => partyCommand(state.trackId ? "load" : "start", { trackId: track.id })}
                >
                  {t("party.playNow", { title: track.title })}
                </button>
                <button
                  type="button"
                  className="btn btn-compact text-sm"
                  onClick={() => partyCommand("queue_add", { trackId: track.id })}
                >
                  {t("party.addToQueue", { title: track.title })}
                </button>
              </>
            ) : (
              <button
                type="button"
                className="btn btn-compact text-sm"
                onClick={() => partyCommand("suggest", { trackId: track.id })}
              >
                {t("party.suggest", { title: track.title })}
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
