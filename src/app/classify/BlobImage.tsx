import { useEffect, useState, type ImgHTMLAttributes } from 'react';

/** An <img> of a Blob; the object URL lives exactly as long as the element. */
export default function BlobImage({ blob, ...rest }: { blob: Blob } & ImgHTMLAttributes<HTMLImageElement>) {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    const u = URL.createObjectURL(blob);
    setUrl(u);
    return () => URL.revokeObjectURL(u);
  }, [blob]);
  return url ? <img src={url} {...rest} /> : <div className="thumb-placeholder" aria-hidden="true" />;
}
