/**
 * The enrollment QR code arrives as SVG text from main. Shown through <img> from a data: URL (allowed by the
 * CSP's img-src), never inserted as markup, so nothing in it can run.
 */
export function QrCodeImage({ svg, label }: { svg: string; label: string }) {
  return (
    <img
      src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`}
      alt={label}
      width={176}
      height={176}
      style={{ background: '#fff', padding: 6, borderRadius: 4, display: 'block' }}
    />
  )
}
