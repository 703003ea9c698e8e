/**
 * Demuxers ffmpeg and ffprobe may use on an episode: audio containers only. ffmpeg picks its
 * demuxer from the bytes, not the file name, and some demuxers open other files themselves: an
 * HLS playlist named `ep.mp3` reads any local media file it lists (`-protocol_whitelist file`
 * allows local files), and concat lists do the same. A name matches any of a demuxer's aliases
 * (`mov` covers mp4 and m4a, `matroska` webm, `ogg` Opus and Vorbis, `asf` WMA).
 */
export const AUDIO_DEMUXERS = ['mp3', 'aac', 'mov', 'ogg', 'flac', 'wav', 'w64', 'matroska', 'asf', 'aiff', 'caf'] as const;

/** Put before every `-i` of an episode's audio: local files only, audio containers only. */
export const FFMPEG_INPUT_FLAGS: readonly string[] = ['-protocol_whitelist', 'file', '-format_whitelist', AUDIO_DEMUXERS.join(',')];

/** ffmpeg's complaint about a demuxer outside the whitelist, with the demuxer it found (`[hls @ 0x…] Format not on whitelist`). */
const NOT_ON_WHITELIST = /\[([\w,]+) @ [^\]]*\] Format not on whitelist/;

/** The demuxer ffmpeg refused for not being an audio container, if that is why it failed. */
export function refusedDemuxer(stderr: string): string | undefined {
  return NOT_ON_WHITELIST.exec(stderr)?.[1];
}
