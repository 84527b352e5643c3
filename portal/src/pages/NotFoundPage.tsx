import { Link } from "react-router-dom";
import { usePageTitle } from "../lib/hooks";

export default function NotFoundPage() {
  usePageTitle("Not found");
  return (
    <>
      <h1>Page not found</h1>
      <p>
        There is nothing at this address. <Link to="/">Back to the catalog</Link>
      </p>
    </>
  );
}
