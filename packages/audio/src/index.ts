export * from './decode.ts';
export * from './clip.render.ts';
export * from './transcript.parse.ts';
export * from './sentences.ts';
export * from './ffmpeg.input.ts';
