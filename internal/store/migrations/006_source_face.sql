-- 005_source_face: a source's face from feeds.yaml (an http(s) image URL or
-- the absolute path of an image file), shown beside its posts.
ALTER TABLE sources ADD COLUMN face TEXT NOT NULL DEFAULT '';
